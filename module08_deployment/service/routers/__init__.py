"""One APIRouter per resource: health, model, predict, metrics."""
