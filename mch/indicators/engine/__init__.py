"""The indicator engine: plain data in, plain data out, no Django.

- ``periods``: calendar periods (month, quarter, 6 and 9 months, year, several years);
- ``ages``: completed days and calendar birthdays (29 February -> 1 March);
- ``stats``: Wilson and exact Poisson 95% intervals, the small-numbers flag;
- ``definitions``: the executable part of a catalogue definition (``compute:``), parsed
  and checked;
- ``conditions``: the filter grammar, over fact columns (vectorised) and group profiles;
- ``compute``: facts -> cells (numerator and denominator per unit, period cell and group
  profile) -> values.

The engine never reads today's date: every function that depends on time takes the
period and the "as of" day explicitly.
"""
