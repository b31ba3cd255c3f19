"""Custom actions of the IMG-to-CMA assistant.

The modules at this level are thin Rasa adapters; the domain logic lives in
`actions.core`, which never imports Rasa.
"""
