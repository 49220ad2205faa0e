; Inno Setup 6 script: installs 指挥中心工作台 for the signed-in Windows user, without admin
; rights, into %LOCALAPPDATA%\Programs\指挥中心工作台, with a Start-menu entry.
; Built by packaging\build_windows.ps1 after PyInstaller, which passes the version:
;   ISCC.exe /DAppVersion=0.1.0 packaging\commandcenter.iss
; The data folder (%LOCALAPPDATA%\commandcenter: database, backups, papers, logs) belongs to the
; user, not to the program: uninstalling or upgrading never touches it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "指挥中心工作台"
#define AppExe "commandcenter.exe"
#define Built "..\build\dist\commandcenter"

[Setup]
; The AppId ties upgrades to earlier installs: never change it.
AppId={{5C7A2E4B-8D1F-4B6A-9E3C-2F6D8A1B7C40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=街道综合行政执法指挥中心
VersionInfoVersion={#AppVersion}
; Per user: no UAC prompt, {autopf} is %LOCALAPPDATA%\Programs, {autoprograms} the user's
; Start menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Windows 10 1809 or later, 64-bit.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\build\assets\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\build\installer
OutputBaseFilename=commandcenter-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade closes the running app first (Windows Restart Manager) and reopens it after.
CloseApplications=yes
RestartApplications=yes

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: the installer's own pages will be in English"
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller folder: both programs and _internal.
Source: "{#Built}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled libraries wholesale, so none of an older build's files linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autoprograms}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
