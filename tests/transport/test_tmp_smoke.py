from tests.transport.conftest import TUESDAY
from backend.transport.services import start_run
from backend.transport.runs import execute_run
def test_smoke(day):
    run = start_run(day["org"], TUESDAY, TUESDAY, 1, {}, None, enqueue=False)
    run = execute_run(run.pk)
    print(run.status, run.error)
