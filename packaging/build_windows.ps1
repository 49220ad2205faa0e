# Build the Windows package: the PyInstaller folder and the per-user installer.
# On a Windows 10/11 PC with Python 3.12 (python.org, "py" launcher) and Inno Setup 6, in
# PowerShell in the project folder:
#     powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# Offline: copy build\windows-wheels from a machine that ran scripts/check_package.sh and add
#     -Wheels build\windows-wheels
# Result: build\installer\commandcenter-setup-<version>.exe
param([string]$Wheels = "")
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Run([string]$exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { throw "$exe failed with exit code $LASTEXITCODE" }
}

if (-not (Test-Path build\venv\Scripts\python.exe)) { Run py @("-3.12", "-m", "venv", "build\venv") }
$python = "build\venv\Scripts\python.exe"
if ($Wheels) {
    Run $python @("-m", "pip", "install", "--no-index", "--find-links", $Wheels, ".[package]")
} else {
    Run $python @("-m", "pip", "install", "--upgrade", "pip")
    Run $python @("-m", "pip", "install", ".[package]")
}

Remove-Item -Recurse -Force build\dist, build\work -ErrorAction SilentlyContinue
Run $python @("-m", "PyInstaller", "packaging\commandcenter.spec", "--noconfirm",
              "--distpath", "build\dist", "--workpath", "build\work")

# The frozen program checks itself: every page, every paper, on a throwaway demo database.
$env:COMMANDCENTER_HOME = Join-Path $env:TEMP "commandcenter-selftest"
Run "build\dist\commandcenter\commandcenter-cli.exe" @("selftest")
Remove-Item Env:\COMMANDCENTER_HOME

$version = & $python -c "import sys; sys.path.insert(0, 'packaging'); import assets; print(assets.version())"
$iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found; install it from jrsoftware.org" }
Run $iscc @("/DAppVersion=$version", "packaging\commandcenter.iss")
Write-Host "Installer: build\installer\commandcenter-setup-$version.exe"
