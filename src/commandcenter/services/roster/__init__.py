"""The roster: people (:mod:`.people`), their enforcement certificates (:mod:`.certificates`),
who may be sent on site (:mod:`.eligibility`, R1, R2, R10) and the list the roster page shows
(:mod:`.listings`)."""
