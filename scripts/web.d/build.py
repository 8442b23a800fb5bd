#!/usr/bin/env python3
"""Builds the web app into web/dist (or --out): esbuild bundles web/src/main.tsx with React from Debian's node
packages (NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs; nothing from npm or a CDN), minified, with source maps and
content-hashed names under assets/; index.html names the hashed files; every text file gets a .gz twin for nginx's
gzip_static. Prints the sizes (JavaScript and CSS of the initial route, raw and gzip) and writes them to build.json.

    build.py [--out DIR] [--dev]     (--dev: not minified, React's development build)
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEB = os.path.join(ROOT, "web")
NODE_PATHS = ["/usr/share/nodejs", "/usr/lib/nodejs"]
COMPRESS = (".js", ".css", ".html", ".svg", ".map", ".json", ".txt")


def esbuild(out, dev, metafile):
    env = dict(os.environ, NODE_PATH=os.pathsep.join(p for p in NODE_PATHS if os.path.isdir(p)))
    mode = "development" if dev else "production"
    command = [
        "esbuild", os.path.join(WEB, "src", "main.tsx"), "--bundle", "--format=esm", "--target=es2020",
        "--jsx=automatic", f"--define:process.env.NODE_ENV=\"{mode}\"", "--sourcemap", "--charset=utf8",
        "--entry-names=[name]-[hash]", "--asset-names=[name]-[hash]", "--public-path=/assets/",
        f"--outdir={os.path.join(out, 'assets')}", f"--metafile={metafile}", "--log-level=warning",
    ]
    if not dev:
        command.append("--minify")
    subprocess.run(command, check=True, env=env, cwd=WEB)


def gz(path):
    with open(path, "rb") as f:
        data = f.read()
    # mtime=0: the same input gives the same bytes.
    with open(path + ".gz", "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(WEB, "dist"))
    parser.add_argument("--dev", action="store_true")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    # Build beside, then swap in: nginx never serves a half-written dist.
    stage = tempfile.mkdtemp(prefix=".dist-", dir=os.path.dirname(out))
    try:
        metafile = os.path.join(stage, "meta.json")
        esbuild(stage, args.dev, metafile)
        with open(metafile, encoding="utf-8") as f:
            meta = json.load(f)
        os.remove(metafile)
        entry = next(o for o, v in meta["outputs"].items() if v.get("entryPoint", "").endswith("src/main.tsx"))
        css = meta["outputs"][entry].get("cssBundle")
        rel = lambda p: "/" + os.path.relpath(os.path.join(WEB, p), stage).replace(os.sep, "/")
        tags = []
        if css:
            tags.append(f'<link rel="stylesheet" href="{rel(css)}">')
        tags.append(f'<script type="module" src="{rel(entry)}"></script>')
        with open(os.path.join(WEB, "index.html"), encoding="utf-8") as f:
            html = f.read().replace("<!--ASSETS-->", "\n".join(tags))
        with open(os.path.join(stage, "index.html"), "w", encoding="utf-8") as f:
            f.write(html)
        shutil.copy(os.path.join(WEB, "favicon.svg"), os.path.join(stage, "favicon.svg"))
        sizes = {}
        for name, path in (("js", entry), ("css", css)):
            if path:
                data = open(os.path.join(WEB, path), "rb").read()
                sizes[name] = {"file": rel(path), "bytes": len(data), "gzipBytes": len(gzip.compress(data, 9, mtime=0))}
        with open(os.path.join(stage, "build.json"), "w", encoding="utf-8") as f:
            json.dump({"mode": "development" if args.dev else "production", "initial": sizes}, f, indent=2)
        for directory, _, files in os.walk(stage):
            for name in files:
                if name.endswith(COMPRESS):
                    gz(os.path.join(directory, name))
        for directory, dirs, files in os.walk(stage):
            os.chmod(directory, 0o755)
            for name in files:
                os.chmod(os.path.join(directory, name), 0o644)
        old = out + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(out):
            os.rename(out, old)
        os.rename(stage, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    total = " + ".join(f"{k} {v['bytes'] / 1024:.1f} KiB ({v['gzipBytes'] / 1024:.1f} KiB gzip)" for k, v in sizes.items())
    print(f"web app built into {out}: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
