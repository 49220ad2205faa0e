# Generated from forms/sign_in.ui by tools/build_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sign_in.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_SignInDialog(object):
    def setupUi(self, SignInDialog):
        if not SignInDialog.objectName():
            SignInDialog.setObjectName(u"SignInDialog")
        SignInDialog.resize(420, 260)
        self.layout = QVBoxLayout(SignInDialog)
        self.layout.setObjectName(u"layout")
        self.centreLabel = QLabel(SignInDialog)
        self.centreLabel.setObjectName(u"centreLabel")
        self.centreLabel.setStyleSheet(u"font-size: 15pt; font-weight: bold;")
        self.centreLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.layout.addWidget(self.centreLabel)

        self.databaseLabel = QLabel(SignInDialog)
        self.databaseLabel.setObjectName(u"databaseLabel")
        self.databaseLabel.setStyleSheet(u"color: #666;")
        self.databaseLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.databaseLabel.setWordWrap(True)

        self.layout.addWidget(self.databaseLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.usernameLabel = QLabel(SignInDialog)
        self.usernameLabel.setObjectName(u"usernameLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.usernameLabel)

        self.usernameEdit = QLineEdit(SignInDialog)
        self.usernameEdit.setObjectName(u"usernameEdit")
        self.usernameEdit.setMaxLength(50)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.usernameEdit)

        self.passwordLabel = QLabel(SignInDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(SignInDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passwordEdit)


        self.layout.addLayout(self.form)

        self.errorLabel = QLabel(SignInDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #C8161D;")
        self.errorLabel.setWordWrap(True)

        self.layout.addWidget(self.errorLabel)

        self.buttons = QDialogButtonBox(SignInDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.usernameLabel.setBuddy(self.usernameEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.usernameEdit, self.passwordEdit)

        self.retranslateUi(SignInDialog)

        QMetaObject.connectSlotsByName(SignInDialog)
    # setupUi

    def retranslateUi(self, SignInDialog):
        SignInDialog.setWindowTitle(QCoreApplication.translate("SignInDialog", u"\u767b\u5f55 - \u6307\u6325\u4e2d\u5fc3\u5de5\u4f5c\u53f0", None))
        self.centreLabel.setText(QCoreApplication.translate("SignInDialog", u"\u7efc\u5408\u884c\u653f\u6267\u6cd5\u6307\u6325\u4e2d\u5fc3", None))
        self.databaseLabel.setText(QCoreApplication.translate("SignInDialog", u"\u6570\u636e\u5e93", None))
        self.usernameLabel.setText(QCoreApplication.translate("SignInDialog", u"\u7528\u6237\u540d(&U)", None))
        self.passwordLabel.setText(QCoreApplication.translate("SignInDialog", u"\u5bc6\u7801(&P)", None))
        self.errorLabel.setText("")
    # retranslateUi

