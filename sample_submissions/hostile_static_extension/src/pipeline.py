"""HOSTILE TEST FIXTURE: importing `cmath` makes a host-side pylint/astroid load src/cmath*.so."""
import cmath

print("ATTACK-RESULT {\"attack\": \"static_extension\", \"succeeded\": false, \"details\": {}}")
print(cmath)
