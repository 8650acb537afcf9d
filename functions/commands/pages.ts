/**
 * Tencent's callback pages, https:// left out, by page id: the EN site (product 1047), the ZH site
 * (product 269) and the trtc.io mirror of the EN ids. Every family cites them through these, so a
 * site's address is written once.
 */
export const en = (page: number) => `www.tencentcloud.com/document/product/1047/${page}`;
export const zh = (page: number) => `cloud.tencent.com/document/product/269/${page}`;
export const trtc = (page: number) => `trtc.io/document/${page}`;
/**
 * The TRTC product's pages (647), where the Live, Room and Call callbacks are documented: the EN site,
 * the ZH site; trtc.io mirrors the EN ids (`trtc`).
 */
export const rtcEn = (page: number) => `www.tencentcloud.com/document/product/647/${page}`;
export const rtcZh = (page: number) => `cloud.tencent.com/document/product/647/${page}`;
