"""Reports over the leads a caller may see: pipeline, funnel, won deals, per event, per company."""
