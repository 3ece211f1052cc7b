import json
import os
import pandas as pd
from sklearn.model_selection import train_test_split

from preprocessing import load_data, clean_data, encode_data
from model import train_models, evaluate_models

# load config
with open('config.json') as f:
    config = json.load(f)

# load and clean data
df = load_data(config['db_path'])
print('Original data shape:', df.shape)
df = clean_data(df)
print('After cleaning:', df.shape)

df, encoders = encode_data(df)

X = df.drop(columns=['Client ID', 'Subscription Status'])
y = df['Subscription Status'].map({'yes': 1, 'no': 0})

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config['test_size'], random_state=config['random_state'])

models = train_models(X_train, y_train, config)
results = evaluate_models(models, X_test, y_test)

# pick the model with the highest accuracy
best_model_name = max(results, key=results.get)
best_model = models[best_model_name]
print('Best model:', best_model_name, 'with accuracy', round(results[best_model_name], 4))

# predict on the holdout data
holdout = load_data(config['holdout_path'])
holdout = holdout.fillna('unknown')
holdout['Age'] = holdout['Age'].str.replace(' years', '').astype(int)
holdout['Contact Method'] = holdout['Contact Method'].replace({'Cell': 'cellular', 'Telephone': 'telephone'})
holdout, _ = encode_data(holdout, encoders)

preds = best_model.predict(holdout.drop(columns=['Client ID']))

os.makedirs('output', exist_ok=True)
output = pd.DataFrame({'Client ID': holdout['Client ID'],
                       'Subscription Status': ['yes' if p == 1 else 'no' for p in preds]})
output.to_csv(config['output_path'], index=False)
print('Predictions saved to', config['output_path'])
