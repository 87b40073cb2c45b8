/** A message a rule cannot process as it is (a refused row, a bad value): it goes to the failed folder. */
export class PermanentRuleFailure extends Error {}

/** Something that may work later (the gateway or the database down): the message is tried again. */
export class TemporaryRuleFailure extends Error {}
