# Generated from resources/resources.qrc by tools/build_forms.py - do not edit.
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x059\
/\
* \xe6\x8c\x87\xe6\x8c\xa5\xe4\xb8\xad\xe5\xbf\x83\xe5\xb7\
\xa5\xe4\xbd\x9c\xe5\x8f\xb0: a calm,\
 high-contrast l\
ook for a screen\
 that is on all \
day.\x0a   Its colo\
urs are placehol\
ders, a dollar s\
ign and a name, \
filled from\x0a   c\
ommandcenter/ui/\
palette.py (the \
constant's name \
in lower case) w\
hen the applicat\
ion loads it. */\
\x0aQListWidget#nav\
igation {\x0a    ba\
ckground: $heade\
r_blue;\x0a    colo\
r: $nav_text;\x0a  \
  border: none;\x0a\
    font-size: 1\
1pt;\x0a    padding\
-top: 8px;\x0a}\x0aQLi\
stWidget#navigat\
ion::item {\x0a    \
padding: 9px 12p\
x;\x0a}\x0aQListWidget\
#navigation::ite\
m:selected {\x0a   \
 background: $na\
v_selected;\x0a    \
color: $nav_sele\
cted_text;\x0a}\x0aQLa\
bel[role=\x22page-t\
itle\x22] {\x0a    fon\
t-size: 15pt;\x0a  \
  font-weight: b\
old;\x0a    color: \
$header_blue;\x0a}\x0a\
QFrame[role=\x22car\
d\x22] {\x0a    backgr\
ound: $card_back\
ground;\x0a    bord\
er: 1px solid $c\
ard_border;\x0a    \
border-radius: 6\
px;\x0a}\x0aQFrame[rol\
e=\x22card\x22]:hover,\
 QFrame[role=\x22ca\
rd\x22]:focus {\x0a   \
 border: 2px sol\
id $nav_selected\
;\x0a}\x0aQLabel[role=\
\x22card-value\x22] {\x0a\
    font-size: 2\
0pt;\x0a    font-we\
ight: bold;\x0a    \
color: $card_val\
ue;\x0a}\x0aQLabel[rol\
e=\x22card-value\x22][\
alert=\x22true\x22] {\x0a\
    color: $aler\
t_red;\x0a}\x0aQLabel[\
role=\x22card-capti\
on\x22] {\x0a    color\
: $card_caption;\
\x0a}\x0aQLabel[role=\x22\
banner\x22] {\x0a    b\
ackground: $bann\
er_background;\x0a \
   color: $banne\
r_text;\x0a    padd\
ing: 6px;\x0a    bo\
rder: 1px solid \
$banner_border;\x0a\
}\x0aQComboBox[refu\
sed=\x22true\x22] {\x0a  \
  border: 1px so\
lid $error_text;\
\x0a    background:\
 $overdue_backgr\
ound;\x0a}\x0a\
\x00\x00\x01\xbb\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 viewBox=\x22\
0 0 64 64\x22>\x0a  <r\
ect x=\x222\x22 y=\x222\x22 \
width=\x2260\x22 heigh\
t=\x2260\x22 rx=\x2212\x22 f\
ill=\x22#1F4E8C\x22/>\x0a\
  <path d=\x22M32 1\
0 L50 18 V32 C50\
 43 42 51 32 55 \
C22 51 14 43 14 \
32 V18 Z\x22 fill=\x22\
#FFFFFF\x22/>\x0a  <pa\
th d=\x22M32 16 L45\
 22 V32 C45 40 3\
9 46 32 49 C25 4\
6 19 40 19 32 V2\
2 Z\x22 fill=\x22#C816\
1D\x22/>\x0a  <path d=\
\x22M32 22 L34.4 28\
.6 H41.4 L35.8 3\
2.6 L37.9 39.2 L\
32 35.2 L26.1 39\
.2 L28.2 32.6 L2\
2.6 28.6 H29.6 Z\
\x22 fill=\x22#FFD700\x22\
/>\x0a</svg>\x0a\
"

qt_resource_name = b"\
\x00\x0d\
\x0eT+\xe2\
\x00c\
\x00o\x00m\x00m\x00a\x00n\x00d\x00c\x00e\x00n\x00t\x00e\x00r\
\x00\x09\
\x00(\xad#\
\x00s\
\x00t\x00y\x00l\x00e\x00.\x00q\x00s\x00s\
\x00\x07\
\x08sZ\x07\
\x00a\
\x00p\x00p\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\
\x00\x00\x00 \x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x008\x00\x00\x00\x00\x00\x01\x00\x00\x05=\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
