//! The hiresync worker: job kinds, the executor, the worker loop and the scheduler.
