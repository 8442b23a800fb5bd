/** The narrowest a video tile gets before the grid takes fewer columns. */
export const MIN_TILE_PX = 170;
/** The most columns the grid uses. */
export const MAX_COLUMNS = 4;

/**
 * Columns of the video grid for `count` tiles in `widthPx`: as square a grid as the tiles make (2 for 2–4, 3 for 5–9,
 * 4 beyond), but never tiles narrower than `MIN_TILE_PX` (a phone shows two columns, or one when it is narrower).
 */
export function tileColumns(count: number, widthPx: number): number {
    const wanted = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(Math.max(1, count)))));
    const fit = Math.max(1, Math.floor((Number.isFinite(widthPx) && widthPx > 0 ? widthPx : MIN_TILE_PX) / MIN_TILE_PX));
    return Math.min(wanted, fit);
}
