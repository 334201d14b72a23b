/**
 * Type-level tests of src/shape/arithmetic.ts: every line is a compile-time assertion.
 * Run: npx tsc --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck type-tests/arithmetic.test-d.ts
 * (also with node_modules/typescript7/bin/tsc). These are the hand-written cases; edge values and seeded random
 * operands are in arithmetic.generated.test-d.ts, written by scripts/gen-arithmetic-tests.mjs.
 */
import type {
  Add,
  Compare,
  FloorDivide,
  IsNatural,
  IsNegative,
  IsUnknown,
  LessThan,
  Modulo,
  Multiply,
  Reverse,
  Subtract,
  ToNumber,
} from '../src/shape/arithmetic.js'

/** Exact type equality (distinguishes `number` from literals and `any`). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false

/** Accepts only a tuple of `true`. */
type Expect<T extends readonly true[]> = T

// Unknowns, unions and non-naturals.
export type Guards = Expect<[
  Equal<Add<number, 7>, number>,
  Equal<Add<7, number>, number>,
  Equal<Subtract<number, 1>, number>,
  Equal<Multiply<number, 0>, number>,
  Equal<FloorDivide<number, 2>, number>,
  Equal<FloorDivide<7, 0>, number>,
  Equal<Modulo<7, 0>, number>,
  Equal<Modulo<number, 3>, number>,
  Equal<Compare<number, 3>, 'unknown'>,
  Equal<Compare<3, number>, 'unknown'>,
  Equal<LessThan<number, 3>, false>,
  Equal<LessThan<2, 3>, true>,
  Equal<LessThan<3, 3>, false>,
  Equal<Add<1 | 2, 3>, number>,
  Equal<Subtract<5, 1 | 2>, number>,
  Equal<Add<1.5, 1>, number>,
  Equal<Add<-1, 1>, number>,
  Equal<Multiply<1e21, 2>, number>,
  Equal<IsNatural<224>, true>,
  Equal<IsNatural<0>, true>,
  Equal<IsNatural<number>, false>,
  Equal<IsNatural<-3>, false>,
  Equal<IsNatural<2.5>, false>,
  Equal<IsNatural<1 | 2>, false>,
  Equal<IsNatural<never>, false>,
  Equal<IsNatural<'3'>, false>,
  Equal<IsUnknown<number>, true>,
  Equal<IsUnknown<3>, false>,
  Equal<IsNegative<-2>, true>,
  Equal<IsNegative<0>, false>,
  Equal<Reverse<'1'>, '1'>,
  Equal<Reverse<'12'>, '21'>,
  Equal<Reverse<'123'>, '321'>,
  Equal<Reverse<'1234'>, '4321'>,
  Equal<Reverse<'12345'>, '54321'>,
  Equal<Reverse<'123456'>, '654321'>,
  Equal<Reverse<'1234567890123'>, '3210987654321'>,
  Equal<Reverse<''>, ''>,
  Equal<ToNumber<'42'>, 42>,
  Equal<ToNumber<'0'>, 0>,
  Equal<Subtract<3, 5>, -2>,
  Equal<Subtract<0, 1000000000>, -1000000000>,
  Equal<Subtract<7, 7>, 0>,
]>

// A bad expectation must fail (guards against a vacuous Equal).
// @ts-expect-error 224 + 3 is not 228
export type Vacuous = Expect<[Equal<Add<224, 3>, 228>]>
