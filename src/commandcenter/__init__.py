"""指挥中心工作台: the desk of a street comprehensive law-enforcement command centre."""

__version__ = "0.1.0"
APP_NAME = "指挥中心工作台"
