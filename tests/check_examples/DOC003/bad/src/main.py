print("f1:", 0.603)
