"""The FastAPI service: one flight or a batch in, the champion's decision out.

Run it with ``python -m module08_deployment.service`` (or ``make serve``); the app is built
by :func:`module08_deployment.service.app.create_app`, configured by ``LABS_*`` variables
(:mod:`module08_deployment.service.settings`).
"""
