// The one declarations file the app needs beside Debian's packages. node-react ships @types/react and
// @types/react-dom (in /usr/share/nodejs/@types), but not the two packages they import: csstype and prop-types.
// These stand-ins are as small as React's declarations allow (style objects stay checked as string/number values).

declare module "csstype" {
    /** CSS properties in camelCase (React's `style`); values are strings or numbers (px). */
    export interface Properties<TLength = string | 0, TTime = string> {
        [property: string]: string | number | TLength | TTime | undefined;
    }
}

declare module "prop-types" {
    /** React's declarations name these in legacy component APIs (propTypes, contextTypes) that the app never uses. */
    export interface Validator<T> {
        (props: { [key: string]: unknown }, propName: string, componentName: string, location: string,
            propFullName: string): Error | null;
        [nominalTypeHack]?: { type: T };
    }
    const nominalTypeHack: unique symbol;
    export interface Requireable<T> extends Validator<T | undefined | null> {
        isRequired: Validator<NonNullable<T>>;
    }
    export type ValidationMap<T> = { [K in keyof T]?: Validator<T[K]> };
    export type InferProps<V> = { [K in keyof V]: V[K] extends Validator<infer T> ? T : never };
    export const any: Requireable<unknown>;
    export const array: Requireable<unknown[]>;
    export const bool: Requireable<boolean>;
    export const func: Requireable<(...args: unknown[]) => unknown>;
    export const number: Requireable<number>;
    export const object: Requireable<object>;
    export const string: Requireable<string>;
    export const node: Requireable<unknown>;
    export const element: Requireable<unknown>;
    export function instanceOf<T>(expectedClass: new (...args: unknown[]) => T): Requireable<T>;
    export function oneOf<T>(types: readonly T[]): Requireable<T>;
    export function oneOfType<T extends Validator<unknown>>(types: T[]): Requireable<unknown>;
    export function arrayOf<T>(type: Validator<T>): Requireable<T[]>;
    export function objectOf<T>(type: Validator<T>): Requireable<{ [K in keyof unknown]: T }>;
    export function shape<P>(type: P): Requireable<unknown>;
    export function exact<P>(type: P): Requireable<unknown>;
}

// The unit tests run under Node's own runner (`node --test`); Debian ships no @types/node, so the two modules they
// use are declared here, as far as the tests use them.
declare module "node:test" {
    export function test(name: string, fn: () => void | Promise<void>): Promise<void>;
}

declare module "node:assert/strict" {
    interface Assert {
        (value: unknown, message?: string): asserts value;
        ok(value: unknown, message?: string): asserts value;
        equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
        deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
        match(value: string, pattern: RegExp, message?: string): void;
        rejects(promise: Promise<unknown>, predicate?: (error: unknown) => boolean, message?: string): Promise<void>;
    }
    const assert: Assert;
    export default assert;
}

declare module "node:fs" {
    export function readFileSync(path: string | URL, encoding: "utf8"): string;
}
