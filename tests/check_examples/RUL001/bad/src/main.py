import sqlite3

connection = sqlite3.connect("data/deliveries.db")
print("trained")
