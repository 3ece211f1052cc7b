jupyter nbconvert --to notebook --execute pipeline.ipynb
