import argparse
import os
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from imblearn.over_sampling import SMOTE

from preprocess import load_data, preprocess
from model import train_and_compare

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/deliveries.db")
parser.add_argument("--holdout", default="data/holdout.db")
parser.add_argument("--test_size", type=float, default=0.2)
parser.add_argument("--n_estimators", type=int, default=100)
parser.add_argument("--output", default="output/predictions.csv")
args = parser.parse_args()

# 1. load and clean
df = load_data(args.data)
df = preprocess(df)

X = df.drop(columns=["delivery_id", "late"])
y = df["late"]
print("Class balance:\n", y.value_counts())

# 2. scale
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)

# 3. balance the classes with SMOTE because late is only 23%
sm = SMOTE(random_state=42)
X_res, y_res = sm.fit_resample(X_scaled, y)
print("After SMOTE:\n", pd.Series(y_res).value_counts())

# 4. split
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=args.test_size, random_state=42)

# 5. train and compare models
best_model, best_name, results = train_and_compare(X_train, y_train, X_test, y_test, args.n_estimators)
print(pd.DataFrame(results).T)

# 6. predict on holdout
holdout = load_data(args.holdout)
ids = holdout["delivery_id"]
holdout = preprocess(holdout)
holdout = holdout.reindex(columns=X.columns, fill_value=0)
holdout_scaled = scaler.transform(holdout)

preds = best_model.predict(holdout_scaled)
proba = best_model.predict_proba(holdout_scaled)[:, 1]

os.makedirs(os.path.dirname(args.output), exist_ok=True)
out = pd.DataFrame({"delivery_id": ids, "late": preds, "late_proba": proba})
out.to_csv(args.output, index=False)
print("Saved predictions to", args.output, out.shape)
