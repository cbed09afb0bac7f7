from examples.shop.services._engine import main
from examples.shop.services.shipping import SPEC

main(SPEC)
