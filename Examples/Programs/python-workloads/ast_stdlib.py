"""`ast` parsing of the standard library: every module of a fixed list parsed and walked, its nodes counted."""
import ast
import os
import sysconfig

library = sysconfig.get_paths()["stdlib"]
modules = sorted(name for name in os.listdir(library) if name.endswith(".py"))[:120]
nodes = 0
for _ in range(2):
    for name in modules:
        with open(os.path.join(library, name), encoding="utf-8") as source:
            tree = ast.parse(source.read(), name)
        nodes += sum(1 for _ in ast.walk(tree))
print("ast:", len(modules), "modules parsed twice,", nodes, "nodes")
