"""A small compute benchmark: recursive calls, an integer loop, dict and str work."""
import time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def integer_loop(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def dict_and_str(n):
    d = {f"key{i}": i for i in range(n)}
    return sum(len(k) for k in d) + sum(d.values())


parts = {}
for name, fn, arg in (("fib", fib, 25), ("integer_loop", integer_loop, 2_000_000), ("dict_str", dict_and_str, 500_000)):
    start = time.perf_counter()
    fn(arg)
    parts[name] = time.perf_counter() - start
print("RESULT", " ".join(f"{k}={v:.4f}" for k, v in parts.items()), f"total={sum(parts.values()):.4f}")
