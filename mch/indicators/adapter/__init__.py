"""The Django side of the indicator engine: register rows -> facts, the units a value
rolls up, stored aggregates and the one function every register write path calls."""
