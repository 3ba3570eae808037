@echo off
rem Restores the local tools and runs the Cake build script; arguments are passed through.
setlocal
cd /d "%~dp0"
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
dotnet tool restore >nul || exit /b 1
dotnet cake build/build.cake %*
exit /b %ERRORLEVEL%
