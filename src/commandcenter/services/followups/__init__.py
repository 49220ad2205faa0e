"""Follow-ups the centre starts and must see end: supervision papers answered and closed,
约谈 held and checked on, transfer results, decisions on incidents referred upward, and the
lists of what is waiting on someone."""
