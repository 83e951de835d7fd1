"""What planning tells the apps built on it (publishing listens; planning knows no listener).

- `run_stored(run)`: the run's results are written, inside the same transaction, which
  is still open. Receivers add what belongs to the stored result (publishing adds the
  `affected` list); an exception rolls the whole result back and fails the run.
- `run_done(run)`: the run is done and committed. Receivers react (publishing publishes
  a run that asked for it).
"""

from django.dispatch import Signal

run_stored = Signal()
run_done = Signal()
