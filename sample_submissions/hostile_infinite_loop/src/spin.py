"""HOSTILE TEST FIXTURE: burn CPU forever.

SAFETY: SIGALRM (default action: terminate) ends the process after 30 minutes if nothing else
has killed it; every sandbox timeout used by the tests is far below that.
"""

import signal

signal.alarm(1800)
print('ATTACK-PROGRESS {"attack":"infinite_loop","stage":"spinning"}', flush=True)
while True:
    pass
