#!/usr/bin/env bash
# Restores and builds the interop programs (nbfx-oracle: .NET's own binary XML, no packages; service:
# CoreWCF; client: System.ServiceModel) into
# interop/<name>/bin/Release/net10.0/. A program whose NuGet packages the configured source does not have
# is reported as blocked (interop/<name>/bin/BLOCKED says which packages, and the tests print it) and does
# not fail the build; any other restore or compile error does.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "interop: dotnet is not on PATH; nothing built"
  exit 0
fi

build() {
  local name=$1 project=$2
  local out="$name/bin"
  local project_path="$name/$project"
  local log
  log=$(mktemp)
  rm -f "$out/BLOCKED"
  echo "interop: building $name ($project)"
  if dotnet build "$name/$project" -c Release --nologo -v:q -p:UseSharedCompilation=false >"$log" 2>&1; then
    echo "interop: $name built"
    rm -f "$log"
    return 0
  fi
  # NU1101: no package with that id in any source; NU1102: no version in range. Both mean "not to be had".
  local missing
  missing=$(grep -oE "NU110[12]: Unable to find package [^ .]+(\.[A-Za-z0-9]+)*( with version [^ ]+)?" "$log" | sed -E 's/^NU110[12]: Unable to find package //' | sort -u || true)
  if [ -n "$missing" ] && ! grep -qE "error (CS|MSB)[0-9]+" "$log"; then
    mkdir -p "$out"
    local requested
    requested=$(grep -oE '<PackageReference Include="[^"]+" Version="[^"]+"' "$project_path" | sed -E 's/<PackageReference Include="([^"]+)" Version="([^"]+)"/\1 \2/' | paste -sd, - | sed 's/,/, /g')
    echo "$name is blocked: the NuGet source does not serve $(echo "$missing" | paste -sd, - | sed 's/,/, /g') (requested: $requested)" >"$out/BLOCKED"
    echo "interop: BLOCKED: $(cat "$out/BLOCKED")"
    rm -f "$log"
    return 0
  fi
  # NU1301: the source did not answer. Nothing of ours is wrong; say so rather than fail the run.
  if grep -q "NU1301" "$log" && ! grep -qE "error (CS|MSB)[0-9]+" "$log"; then
    mkdir -p "$out"
    echo "$name is blocked: the NuGet source could not be reached ($(grep -m1 -oE 'NU1301: [^[]*' "$log"))" >"$out/BLOCKED"
    echo "interop: BLOCKED: $(cat "$out/BLOCKED")"
    rm -f "$log"
    return 0
  fi
  cat "$log"
  rm -f "$log"
  echo "interop: $name failed to build" >&2
  return 1
}

build nbfx-oracle NbfxOracle.csproj
build service InteropService.csproj
build client InteropClient.csproj
