"""Mock exams and practice: thin views over ``exams.attempts`` and the templates.

``mock`` and ``practice`` are the two page families, ``answer`` the one answering path
they share, ``bookmarks`` the bookmark list and toggle, ``access`` what every view starts with.
"""
