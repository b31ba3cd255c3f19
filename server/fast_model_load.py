"""Load TensorFlow models (DIET) without tracing a training graph the server never uses.

Why: to create weights of the right shapes, Rasa 3.6's `RasaModel.load` trains
the fresh model for one step on one example before loading the saved weights.
That step runs through `tf.function`, so TensorFlow traces and optimises the
whole training graph (forward pass, loss, gradients, Adam): measured about
half of our server's start-up (py-spy, see README "Performance and
scale-out"). We run that one step eagerly instead, which builds the same
variables without tracing, then restore the configured mode before the saved
weights are loaded and the prediction graph is traced as usual. Finetuning
(`rasa train --finetune`) keeps the stock path.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_INSTALLED = "_imgcma_fast_load"


def install() -> None:
    """Patch RasaModel.load (idempotent)."""
    if getattr(RasaModel.load, _INSTALLED, False):
        return
    stock_load = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: type[RasaModel],
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:
            return stock_load(
                cls,
                model_file_name,
                model_data_example,
                predict_data_example,
                True,
                *args,
                **kwargs,
            )
        import tensorflow as tf
        from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
        from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        # The one build step, eagerly: same variables, no traced training graph.
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
            run_eagerly=True,
        )
        model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
        model.run_eagerly = config.get(RUN_EAGERLY)
        model.load_weights(model_file_name)
        if predict_data_example:
            # Trace the prediction graph now rather than on the first user message.
            model.run_inference(predict_data_example)
        logger.debug("Loaded %s without tracing its training graph.", cls.__name__)
        return model

    setattr(load, _INSTALLED, True)
    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]
