# Generated from forms/first_run.ui by tools/build_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run.ui'
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
    QFormLayout, QGroupBox, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(520, 420)
        self.layout = QVBoxLayout(FirstRunDialog)
        self.layout.setObjectName(u"layout")
        self.introLabel = QLabel(FirstRunDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.layout.addWidget(self.introLabel)

        self.centreGroup = QGroupBox(FirstRunDialog)
        self.centreGroup.setObjectName(u"centreGroup")
        self.centreForm = QFormLayout(self.centreGroup)
        self.centreForm.setObjectName(u"centreForm")
        self.streetLabel = QLabel(self.centreGroup)
        self.streetLabel.setObjectName(u"streetLabel")

        self.centreForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.streetLabel)

        self.streetEdit = QLineEdit(self.centreGroup)
        self.streetEdit.setObjectName(u"streetEdit")

        self.centreForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.streetEdit)

        self.prefixLabel = QLabel(self.centreGroup)
        self.prefixLabel.setObjectName(u"prefixLabel")

        self.centreForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.prefixLabel)

        self.prefixEdit = QLineEdit(self.centreGroup)
        self.prefixEdit.setObjectName(u"prefixEdit")

        self.centreForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.prefixEdit)


        self.layout.addWidget(self.centreGroup)

        self.adminGroup = QGroupBox(FirstRunDialog)
        self.adminGroup.setObjectName(u"adminGroup")
        self.adminForm = QFormLayout(self.adminGroup)
        self.adminForm.setObjectName(u"adminForm")
        self.usernameLabel = QLabel(self.adminGroup)
        self.usernameLabel.setObjectName(u"usernameLabel")

        self.adminForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.usernameLabel)

        self.usernameEdit = QLineEdit(self.adminGroup)
        self.usernameEdit.setObjectName(u"usernameEdit")

        self.adminForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.usernameEdit)

        self.displayNameLabel = QLabel(self.adminGroup)
        self.displayNameLabel.setObjectName(u"displayNameLabel")

        self.adminForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.displayNameLabel)

        self.displayNameEdit = QLineEdit(self.adminGroup)
        self.displayNameEdit.setObjectName(u"displayNameEdit")

        self.adminForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.displayNameEdit)

        self.passwordLabel = QLabel(self.adminGroup)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.adminForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(self.adminGroup)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.adminForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)

        self.confirmLabel = QLabel(self.adminGroup)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.adminForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(self.adminGroup)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.adminForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.confirmEdit)


        self.layout.addWidget(self.adminGroup)

        self.errorLabel = QLabel(FirstRunDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #C8161D;")
        self.errorLabel.setWordWrap(True)

        self.layout.addWidget(self.errorLabel)

        self.buttons = QDialogButtonBox(FirstRunDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.streetLabel.setBuddy(self.streetEdit)
        self.prefixLabel.setBuddy(self.prefixEdit)
        self.usernameLabel.setBuddy(self.usernameEdit)
        self.displayNameLabel.setBuddy(self.displayNameEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.streetEdit, self.prefixEdit)
        QWidget.setTabOrder(self.prefixEdit, self.usernameEdit)
        QWidget.setTabOrder(self.usernameEdit, self.displayNameEdit)
        QWidget.setTabOrder(self.displayNameEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.confirmEdit)

        self.retranslateUi(FirstRunDialog)

        QMetaObject.connectSlotsByName(FirstRunDialog)
    # setupUi

    def retranslateUi(self, FirstRunDialog):
        FirstRunDialog.setWindowTitle(QCoreApplication.translate("FirstRunDialog", u"\u9996\u6b21\u8bbe\u7f6e - \u6307\u6325\u4e2d\u5fc3\u5de5\u4f5c\u53f0", None))
        self.introLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u8fd9\u662f\u4e00\u4e2a\u65b0\u7684\u6570\u636e\u5e93\u3002\u8bf7\u586b\u5199\u672c\u8857\u9053\u7684\u540d\u79f0\u548c\u53d1\u6587\u5b57\u53f7\u524d\u7f00\uff0c\u5e76\u521b\u5efa\u7b2c\u4e00\u4e2a\u7ba1\u7406\u5458\u8d26\u53f7\u3002\u4ee5\u540e\u53ef\u5728\u201c\u7cfb\u7edf\u8bbe\u7f6e\u201d\u4e2d\u4fee\u6539\u3002", None))
        self.centreGroup.setTitle(QCoreApplication.translate("FirstRunDialog", u"\u8857\u9053", None))
        self.streetLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u8857\u9053\u540d\u79f0(&S)", None))
        self.streetEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"\u4f8b\u5982\uff1a\u6885\u5c71\u8857\u9053", None))
        self.prefixLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u53d1\u6587\u5b57\u53f7\u524d\u7f00(&F)", None))
        self.prefixEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"\u4f8b\u5982\uff1a\u6885\u6267\uff08\u6587\u53f7\u5f62\u5982 \u6885\u6267\u6307\u6d3e\u30142026\u30151\u53f7\uff09", None))
        self.adminGroup.setTitle(QCoreApplication.translate("FirstRunDialog", u"\u7ba1\u7406\u5458\u8d26\u53f7", None))
        self.usernameLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u7528\u6237\u540d(&U)", None))
        self.usernameEdit.setText(QCoreApplication.translate("FirstRunDialog", u"admin", None))
        self.displayNameLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u59d3\u540d(&N)", None))
        self.passwordLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u5bc6\u7801(&P)", None))
        self.passwordEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"\u81f3\u5c11 8 \u4e2a\u5b57\u7b26\uff0c\u53ef\u4ee5\u4f7f\u7528\u4e2d\u6587", None))
        self.confirmLabel.setText(QCoreApplication.translate("FirstRunDialog", u"\u786e\u8ba4\u5bc6\u7801(&C)", None))
        self.errorLabel.setText("")
    # retranslateUi

