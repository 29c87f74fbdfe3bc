import pytest
import time_machine

from tests.days import JANUARY


@pytest.fixture
def on_the_day():
    """Lancashire's January panel, 13 January 2027: the chair records the decisions."""
    with time_machine.travel(JANUARY, tick=False):
        yield
