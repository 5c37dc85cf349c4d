"""The capstone: the ``labs`` command, Prefect flows and the demo that assemble all modules."""
