def f(a, b):
    tmp = a + b
    a2 = tmp * 2
    df3 = a2 - b
    return df3


def g(q):
    return f(q, q)


print(g(3))
