"""Static files in production: whitenoise's compressed manifest storage (hashed names, cached
for good), which also rewrites the relative imports of ES modules (static/js/answering/) to
the hashed names. Without that, main.<hash>.js would import ./save.js unhashed, which
whitenoise caches for a minute only, so a deploy could pair a new module with an old one.
tests/quizapp/test_static_modules.py runs collectstatic as the Docker build does and follows
every import."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    # A module's hash covers the hashed names it imports: each link of an import chain may
    # take one more pass to settle. Django's 5 leave no room for main.js's chain to grow.
    max_post_process_passes = 10
