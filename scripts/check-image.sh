#!/bin/sh
# Runs the Dockerfile's steps without Docker (for machines that cannot build images): a clean clone,
# `npm ci`, generate + build, prune to runtime dependencies, copy only what the image copies, start it
# and wait for /healthz. Usage: scripts/check-image.sh [port]   (exits non-zero on any failure)
set -eu
port="${1:-3999}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""
git clone -q "$repo" "$work/build"
cd "$work/build"
npm ci --ignore-scripts --no-audit --no-fund
npm run prisma:generate && npm run build && npm prune --omit=dev --no-audit --no-fund
node scripts/prune-runtime.mjs
mkdir "$work/app"
cp -r package.json node_modules bin dist prisma policies assets "$work/app/"
cd "$work/app"
echo "image size (runtime files): $(du -sh . | cut -f1); TypeScript present: $(test -d node_modules/typescript && echo yes || echo no)"
# The weekly digest's chart: Chart.js, the Skia binary and the bundled font must all be in the runtime files.
node --input-type=module -e "
const { drawDigestChart } = await import('./dist/reports/chartProcess.js');
const group = { label: 'First response · standard', target: 'firstResponse', plan: 'standard', met: 19, breached: 1, open: 0, compliance: 95, before: 80, goal: 95 };
const png = await drawDigestChart({ policyName: 'check', span: 'tickets opened this week', week: '2026-W01', groups: [group] });
if (png.readUInt32BE(16) !== 1000) throw new Error('the digest chart is not a 1000-pixel PNG');
console.log('digest chart drawn: ' + png.length + ' bytes of PNG');"
NODE_ENV=production DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 node bin/escalator.js serve &
pid=$!
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "healthz answered"; kill -TERM "$pid"; wait "$pid"; exit 0
  fi
  sleep 0.5
done
echo "no /healthz answer within 60 s" >&2
exit 1
