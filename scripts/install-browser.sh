#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; its own browser download
# does not work offline). Needs root and apt; elsewhere it only warns and the browser tests are skipped
# (except under CI=true, where they must run).
set -u
# WeasyPrint (the COPIL pack's PDF) needs Debian's Pango and HarfBuzz libraries at run time (pip installs none).
if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installation de Pango et HarfBuzz (paquets Debian) pour les PDF (WeasyPrint)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null \
      || echo "ATTENTION : l'installation de Pango a échoué : les PDF ne pourront pas être produits." >&2
  else
    echo "ATTENTION : Pango absent et installation impossible ici : les PDF (WeasyPrint) ne seront pas produits." >&2
  fi
fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de Chromium (paquet Debian) pour les tests dans le navigateur…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null \
    && exit 0
  echo "ATTENTION : l'installation de Chromium a échoué." >&2
else
  echo "ATTENTION : Chromium (/usr/bin/chromium) absent et installation impossible ici (ni root ni apt)." >&2
fi
if [ "${CI:-}" = "true" ]; then exit 1; fi
echo "Les tests dans le navigateur seront ignorés." >&2
exit 0
