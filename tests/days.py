"""The days the tests' stories happen on, named once.

"Today" in the real world is whenever the suite runs; each test fixes its own with
time_machine, on these days.
"""

from datetime import date
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# The administrator books the children for the winter's panels on Tuesday 1 December 2026.
BOOKED_ON = date(2026, 12, 1)

# Lancashire meets on the second Wednesday: 13 January, 10 February and 10 March 2027.
JANUARY, FEBRUARY, MARCH = date(2027, 1, 13), date(2027, 2, 10), date(2027, 3, 10)
