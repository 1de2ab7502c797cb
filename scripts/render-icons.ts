/**
 * Renders the app icons Next serves from apps/web/src/app (its file conventions) out of the one
 * source, icon.svg (the mark of components/logo.tsx): favicon.ico (16, 32 and 48 px PNGs in an
 * ICO, for browsers and tools that ask for /favicon.ico) and apple-icon.png (180 px, for home
 * screens). Run after changing icon.svg: `node --import tsx scripts/render-icons.ts`. Uses the
 * Chromium the browser tests use (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";

const appDir = join(resolve(import.meta.dirname, ".."), "apps/web/src/app");
const svg = readFileSync(join(appDir, "icon.svg"), "utf8");

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage();
  const render = async (size: number): Promise<Buffer> => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  };
  writeFileSync(join(appDir, "favicon.ico"), ico(await Promise.all([16, 32, 48].map(async (size) => ({ size, png: await render(size) })))));
  writeFileSync(join(appDir, "apple-icon.png"), await render(180));
} finally {
  await browser.close();
}

/** An ICO file holding PNG images (every browser since IE 11 reads them). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}
