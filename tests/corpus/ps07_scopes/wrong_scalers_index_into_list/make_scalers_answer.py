# Captures the index, not the value: reads the caller's list when called (and needs len()).
def make_scalers(factors):
    def scaler_for(index):
        return lambda x: x * factors[index]

    return [scaler_for(index) for index in range(len(factors))]
