"""Every write to the registers: validated, scoped, audited, atomic."""

from .audit import audit_log, audit_reads_prune, audit_view
from .child import (
    checkup_record,
    death_notify,
    death_record,
    dose_record,
    illness_record,
    measurement_record,
)
from .maternal import (
    BirthInput,
    antenatal_visit_record,
    delivery_record,
    postnatal_contact_record,
    pregnancy_end,
    pregnancy_register,
)
from .people import duplicates_find, person_merge, person_move, person_register, person_update
from .write_scope import OutOfScope, WriteScope

__all__ = [
    "BirthInput",
    "OutOfScope",
    "WriteScope",
    "antenatal_visit_record",
    "audit_log",
    "audit_reads_prune",
    "audit_view",
    "checkup_record",
    "death_notify",
    "death_record",
    "delivery_record",
    "dose_record",
    "duplicates_find",
    "illness_record",
    "measurement_record",
    "person_merge",
    "person_move",
    "person_register",
    "person_update",
    "postnatal_contact_record",
    "pregnancy_end",
    "pregnancy_register",
]
