export * from './attribute-value.js';
export * from './errors.js';
export * from './numbers.js';
export * from './compare.js';
export * from './item-size.js';
export * from './validate.js';
