import pandas as pd
import xgboost
import yaml
from sklearn.model_selection import train_test_split
