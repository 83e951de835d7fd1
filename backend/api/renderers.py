"""Renderers for API actions that answer with a file."""

from rest_framework import renderers


class PDFRenderer(renderers.BaseRenderer):
    """Lets clients ask for application/pdf; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)
