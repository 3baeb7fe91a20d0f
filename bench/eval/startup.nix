# Trivial expression: measures process start-up and evaluator set-up, the fixed cost included in
# every other evaluation workload.
1 + 1
