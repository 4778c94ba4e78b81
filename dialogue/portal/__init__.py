"""The company portal (/portal/): invited company users submit and follow their
organization's concerns, talk to the officials handling them, carry out the
follow-up actions they own and read alerts and guidance for their sectors.

What a page shows is decided by `Model.objects.visible_to(user)` (querysets.py);
writes go through the services. Nothing here widens visibility.
"""
