# Built with dict() and keyword arguments.
PREDICTIONS = dict(
    A="UnboundLocalError",
    B="0",
    C="2 2",
    D="changed",
    E="[50, 50, 50]",
    F="3 1",
    G="NameError",
    H="outer 9",
    I="['_Base__id', '_Child__id']",
)
