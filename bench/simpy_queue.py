#!/usr/bin/env python3
"""Issue 8 "Performance": the shared-equipment queue in SimPy, the baseline of bench/queue_model.cpp.

The model (the same in both, times in whole minutes so that psp's minute-grained booking engine
runs exactly this model):
  - `resources` single-unit resources and `customers` customers; customer i uses resource
    i % resources;
  - each customer arrives again and again, gaps ceil(Exp(mean)) minutes (at least 1), until the
    horizon; every arrival before the horizon is served;
  - service times ceil(Exp(60)) minutes (at least 1);
  - an arrival takes the earliest free time of its resource at or after its arrival: for one unit
    served in arrival order this is simpy.Resource's FIFO queue.
The gap mean is set so that each resource is offered `load` of its time (default 0.75).

Prints one JSON line: per replication (seed, seed + 1, ...) the bookings, the mean wait in minutes,
the utilisation (busy minutes inside the horizon / (resources x horizon)) and the wall seconds of
building and running the simulation (imports and the JSON excluded).
  simpy_queue.py [--seed S] [--customers N] [--resources R] [--horizon-minutes M | --bookings B]
                 [--service-mean MIN] [--load RHO] [--replications K]
"""
import argparse
import json
import math
import random
import time

import simpy


def ceil_exp(rng, mean):
    """A whole number of minutes, at least 1: ceil of an exponential with this mean."""
    return max(1, math.ceil(rng.expovariate(1.0 / mean)))


def mean_of_ceil_exp(mean):
    """E[max(1, ceil(Exp(mean)))] = 1 / (1 - e^(-1/mean)): ceil adds about half a minute."""
    return 1.0 / (1.0 - math.exp(-1.0 / mean))


def gap_mean(args):
    """Exponential mean of a customer's gaps so that each resource is offered `load`."""
    per_resource = args.customers / args.resources
    return per_resource * mean_of_ceil_exp(args.service_mean) / args.load


def run(args, seed):
    rng = random.Random(seed)
    horizon = args.horizon_minutes
    mean_gap = gap_mean(args)
    waits = []
    busy = 0.0   # service minutes inside the horizon

    t0 = time.perf_counter()
    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=1) for _ in range(args.resources)]

    def job(resource, service):
        nonlocal busy
        arrived = env.now
        with resource.request() as req:
            yield req
            start = env.now
            waits.append(start - arrived)
            busy += max(0, min(start + service, horizon) - start)
            yield env.timeout(service)

    def customer(resource):
        while True:
            yield env.timeout(ceil_exp(rng, mean_gap))
            if env.now >= horizon:
                return
            env.process(job(resource, ceil_exp(rng, args.service_mean)))

    for i in range(args.customers):
        env.process(customer(resources[i % args.resources]))
    env.run()   # to the end: every arrival before the horizon is served
    wall = time.perf_counter() - t0

    return {
        "seed": seed,
        "bookings": len(waits),
        "mean_wait_minutes": sum(waits) / len(waits),
        "utilisation": busy / (args.resources * horizon),
        "wall_seconds": wall,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=20261127)
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--resources", type=int, default=200)
    p.add_argument("--horizon-minutes", type=int, default=None, help="default: from --bookings")
    p.add_argument("--bookings", type=int, default=250_000, help="expected bookings, sets the horizon")
    p.add_argument("--service-mean", type=float, default=60.0, help="exponential mean before ceil, minutes")
    p.add_argument("--load", type=float, default=0.75, help="offered utilisation per resource")
    p.add_argument("--replications", type=int, default=5)
    args = p.parse_args()
    if args.horizon_minutes is None:
        # Each customer arrives about horizon / E[gap] times.
        expected_gap = mean_of_ceil_exp(gap_mean(args))
        args.horizon_minutes = round(args.bookings * expected_gap / args.customers)

    reps = [run(args, args.seed + r) for r in range(args.replications)]
    print(json.dumps({
        "impl": "simpy " + simpy.__version__,
        "customers": args.customers,
        "resources": args.resources,
        "horizon_minutes": args.horizon_minutes,
        "gap_mean_minutes": gap_mean(args),
        "service_mean_minutes": args.service_mean,
        "replications": reps,
    }))


if __name__ == "__main__":
    main()
