/**
 * The error categories of the breakdown (errors.ts), a leaf module: errors-entities.ts and
 * errors-relations.ts classify into them and errors.ts tallies them, so neither side imports the other.
 * What each category means is said where it is decided (errors-entities.ts, errors-relations.ts).
 */
export const ENTITY_ERROR_CATEGORIES = ['type', 'boundary', 'boundary+type', 'spurious', 'missed'] as const;
export type EntityErrorCategory = (typeof ENTITY_ERROR_CATEGORIES)[number];
export const RELATION_ERROR_CATEGORIES = ['direction', 'type', 'entity', 'spurious', 'missed'] as const;
export type RelationErrorCategory = (typeof RELATION_ERROR_CATEGORIES)[number];
