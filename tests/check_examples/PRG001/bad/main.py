import os, sys, json, re
import csv
import sqlite3
def load(path):
    rows=list(csv.DictReader(open(path)));rows=[r for r in rows if r['distance_km']];rows=[r for r in rows if float(r['distance_km'])>0];return rows
def load(path):
    rows=list(csv.DictReader(open(path)));rows=[r for r in rows if r['weather']];rows=[r for r in rows if r['weather'].lower()!='unknown'];return rows
def Clean(rows,a,b,c):
    x=[r[a] for r in rows];y=[r[b] for r in rows];z=[r[c] for r in rows];l=[];l.append(x);l.append(y);l.append(z);q=1;q=2;q=3;return l
d=load('data.csv');e=Clean(d,'distance_km','weather','late');print(e);print(len(d));print(d[:10]);print(sorted(d[0]))
