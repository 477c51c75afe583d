# Letters zipped with the predictions.
PREDICTIONS = dict(
    zip(
        "ABCDEFGHI",
        [
            "UnboundLocalError",
            "0",
            "2 2",
            "changed",
            "[50, 50, 50]",
            "3 1",
            "NameError",
            "outer 9",
            "['_Base__id', '_Child__id']",
        ],
        strict=True,
    )
)
